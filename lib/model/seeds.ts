// The model's initialisation seed for one participant run and preset, derived from the run's
// (curriculum) seed, so the server, the researcher's browser and the participant's browser all
// start the model from the same weights; the seed is stored with every model stream.
import { deriveSeed } from "@/lib/core/rng";

export type StreamPreset = "flexible" | "forgetful";

export function modelSeedFor(runSeed: number, preset: StreamPreset): number {
  return deriveSeed(runSeed, preset === "flexible" ? 101 : 102);
}
