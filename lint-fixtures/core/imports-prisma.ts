// Must fail lint: lib/core is pure and may not touch the database.
import { PrismaClient } from "@prisma/client";

export const client = PrismaClient;
