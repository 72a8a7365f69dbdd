// Researcher sign-in. Already signed in → straight to the studies (or the page that sent us here).
import Link from "next/link";
import { redirect } from "next/navigation";

import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/server/safe-redirect";
import { fetchSessionUserId } from "@/lib/server/session";

import "../studies/researcher.css";
import { signInAction } from "./actions";

export const dynamic = "force-dynamic";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string }>;
}) {
  const { callbackUrl } = await searchParams;
  const target = safeCallbackPath(callbackUrl);
  if (await fetchSessionUserId()) redirect(target);
  return (
    <main className="narrow">
      <p>
        <Link href="/">← NTA Lab</Link>
      </p>
      <h1>Researcher sign-in</h1>
      {callbackUrl ? <p className="muted">Sign in to continue to {target}.</p> : null}
      <LoginForm action={signInAction} callbackUrl={target} />
      <p className="muted">
        Accounts are created by the lab administrator (<code>npm run user:create</code>). The local
        demo account is printed by <code>npm run db:seed</code>.
      </p>
    </main>
  );
}
