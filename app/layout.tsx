import type { Metadata } from "next";
import type { ReactNode } from "react";

import "./globals.css";

export const metadata: Metadata = {
  title: "NTA Lab — humans and a neural model on one task-switching curriculum",
  description:
    "Run task-switching studies and compare participants with the Neural Task Abstractions model.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
