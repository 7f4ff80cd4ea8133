import { Injectable } from '@nestjs/common';
import { hash, verify } from '@node-rs/argon2';

/** argon2id (DECISIONS.md), parameters stored in each hash so they can be raised later. */
@Injectable()
export class PasswordHasher {
  /** A real hash of a random string: unknown emails cost as much as wrong passwords (no user enumeration by timing). */
  private readonly decoy: Promise<string> = hash(`decoy-${Math.random()}`);

  hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string | null, password: string): Promise<boolean> {
    try {
      const ok = await verify(passwordHash ?? (await this.decoy), password);
      return ok && passwordHash !== null;
    } catch {
      return false; // a malformed stored hash never signs anyone in
    }
  }
}
