"use server";
// Researcher sign-in as a server action. Auth.js throws CredentialsSignin (an AuthError) for a
// wrong password; it is caught here and becomes a message, never an unhandled error.
import { AuthError, CredentialsSignin } from "next-auth";

import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/server/safe-redirect";

export type LoginState = { error: string | null; email: string };

export async function signInAction(_prev: LoginState, formData: FormData): Promise<LoginState> {
  const email = String(formData.get("email") ?? "").trim();
  const password = String(formData.get("password") ?? "");
  if (!email || !password) return { error: "Enter your email and password.", email };
  try {
    // On success this throws Next's redirect, which must propagate (it is not an AuthError).
    await signIn("credentials", {
      email,
      password,
      redirectTo: safeCallbackPath(String(formData.get("callbackUrl") ?? "")),
    });
    return { error: null, email };
  } catch (err) {
    if (err instanceof CredentialsSignin && err.code === "rate_limited") {
      return { error: "Too many sign-in attempts. Please wait 10 minutes and try again.", email };
    }
    if (err instanceof CredentialsSignin) return { error: "Wrong email or password.", email };
    if (err instanceof AuthError) return { error: "Sign-in failed. Please try again.", email };
    throw err;
  }
}
