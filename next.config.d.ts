// Types for next.config.js, whose security headers the production server (server/main.ts) also
// puts on the participant routes it serves itself.
import type { NextConfig } from "next";

export declare const securityHeaders: { key: string; value: string }[];
export declare const baseSecurityHeaders: { key: string; value: string }[];
export declare function contentSecurityPolicy(nonce?: string): string;
declare const nextConfig: NextConfig;
export default nextConfig;
