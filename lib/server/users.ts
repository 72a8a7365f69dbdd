// Researcher accounts: email + bcrypt password hash.
import "server-only";

import bcrypt from "bcryptjs";
import { z } from "zod";

import { getDb } from "./db";

export const newUserSchema = z.object({
  email: z
    .email("A valid email address is required")
    .max(200)
    .transform((e) => e.toLowerCase()),
  password: z.string().min(8, "Passwords need at least 8 characters").max(200),
  name: z.string().max(200).optional(),
});

/** Create a researcher, or reset the password of an existing one (upsert by email). */
export async function upsertResearcher(input: z.input<typeof newUserSchema>) {
  const { email, password, name } = newUserSchema.parse(input);
  const passwordHash = await bcrypt.hash(password, 10);
  return getDb().user.upsert({
    where: { email },
    create: { email, passwordHash, name },
    update: { passwordHash, ...(name ? { name } : {}) },
  });
}

/** The researcher with this email and password, or null. Constant work whether or not the email exists. */
export async function verifyResearcher(email: string, password: string) {
  const user = await getDb().user.findUnique({ where: { email: email.toLowerCase() } });
  const hash = user?.passwordHash ?? "$2b$10$CwTycUXWue0Thq9StjUM0uJ8.jJ8g1qkSvsuFfmpgv4yJe9G8w6Oa";
  const ok = await bcrypt.compare(password, hash);
  return ok && user ? { id: user.id, email: user.email, name: user.name } : null;
}
