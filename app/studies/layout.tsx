// Shell of every researcher page: who is signed in, and sign-out.
import Link from "next/link";
import type { ReactNode } from "react";

import { auth, signOut } from "@/auth";

import "./researcher.css";
import "./manage.css";

export default async function ResearcherLayout({ children }: { children: ReactNode }) {
  const session = await auth();
  async function signOutAction() {
    "use server";
    await signOut({ redirectTo: "/login" });
  }
  return (
    <>
      <header className="r-header">
        <nav>
          <Link href="/studies" className="r-brand">
            NTA Lab
          </Link>
          <Link href="/studies">Studies</Link>
          <Link href="/paper">Paper</Link>
        </nav>
        {session?.user ? (
          <div className="row">
            <span className="muted" data-testid="signed-in-as">
              {session.user.email}
            </span>
            <form action={signOutAction}>
              <button className="button secondary" type="submit">
                Sign out
              </button>
            </form>
          </div>
        ) : null}
      </header>
      {children}
    </>
  );
}
