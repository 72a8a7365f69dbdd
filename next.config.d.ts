// Types for next.config.js, whose security headers proxy.ts and the tests also read.
import type { NextConfig } from "next";

export declare const securityHeaders: { key: string; value: string }[];
export declare const baseSecurityHeaders: { key: string; value: string }[];
export declare function contentSecurityPolicy(nonce?: string): string;
declare const nextConfig: NextConfig;
export default nextConfig;
