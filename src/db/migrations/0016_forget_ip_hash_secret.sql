-- Click IP hashes used a salt derived per day from this lasting secret, so anyone with a copy of the database
-- could recompute any day's salt and find the addresses by trying them all. Salts are now random per day and
-- deleted after the next day (src/domain/tracking/ip-hasher.ts); deleting the secret makes the hashes already
-- stored just as irreversible.
DELETE FROM "settings" WHERE "key" = 'ip_hash_secret';
