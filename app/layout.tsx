import type { Metadata } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

import "./globals.css";

export const metadata: Metadata = {
  title: "NTA Lab — humans and a neural model on one task-switching curriculum",
  description:
    "Run task-switching studies and compare participants with the Neural Task Abstractions model.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Rendered per request, never prerendered: Next.js stamps each request's CSP nonce (proxy.ts)
  // on its inline scripts, and a page built ahead of time would carry none and not run.
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
