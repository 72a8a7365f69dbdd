// Route tests act as a researcher through the mocked Auth.js `auth()`. Each test file still
// declares `vi.mock("@/auth", () => ({ auth: vi.fn() }))` itself (vitest hoists mocks per file).
import { vi } from "vitest";

import { auth } from "@/auth";

type Session = { user: { id: string }; expires: string } | null;

/** The next `auth()` calls see this user signed in for an hour (null: signed out). */
export const signInAs = (userId: string | null) =>
  (vi.mocked(auth) as unknown as { mockResolvedValue(v: Session): void }).mockResolvedValue(
    userId
      ? { user: { id: userId }, expires: new Date(Date.now() + 3_600_000).toISOString() }
      : null,
  );
