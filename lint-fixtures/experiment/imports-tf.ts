// Must fail lint: lib/experiment never imports TensorFlow.js or Prisma.
import * as tf from "@tensorflow/tfjs";
import { PrismaClient } from "@prisma/client";

export const both = [tf, PrismaClient];
