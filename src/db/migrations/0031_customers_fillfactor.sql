-- Room on each page for a customer's row to be updated in place. A sale that brings a new customer inserts it and,
-- in the same transaction, sets who brought it and its lifetime binding: an update that, on a full page, wrote a new
-- version elsewhere with an entry in each of the table's three indexes (a third of them in a sale load), and in
-- place (HOT) writes none. bench/profile-load.ts sale, three alternating pairs: PostgreSQL 113-154 us of CPU per
-- sale against 149-164, WAL 4,527-4,533 bytes against 4,583-4,588. New pages only; existing ones fill as they were.
ALTER TABLE "customers" SET (fillfactor = 80);
