import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { hash, verify } from "@node-rs/argon2";

/** A random URL-safe token: sessions, API keys, invitations. */
export const randomToken = (bytes = 32): string => randomBytes(bytes).toString("base64url");

/** Tokens with 256 bits of entropy need no slow hash; SHA-256 lets us look them up by index. */
export const sha256 = (value: string): string => createHash("sha256").update(value).digest("hex");

export const safeEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

// OWASP's argon2id baseline (19 MiB, t=2, p=1); @node-rs/argon2 defaults to argon2id.
const argonOptions = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, argonOptions);

export const verifyPassword = async (passwordHash: string, password: string): Promise<boolean> => {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
};

// A hash to verify against when the account does not exist, so timing does not reveal which emails exist.
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = (): Promise<string> => {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash;
};
