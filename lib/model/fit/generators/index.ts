// The zoo's registry (docs/generators.md).
import { bayesianRuleInference } from "./bayesian";
import {
  chanceResponder,
  constantCost,
  noSwitchCost,
  practiceReduced,
  slowPerseveration,
} from "./descriptive";
import { ntaFlexible, ntaFlexiblePrior, ntaForgetful, ntaForgetfulPrior } from "./nta";
import type { Generator } from "./types";

export type { Generator } from "./types";

export const GENERATORS: readonly Generator[] = [
  practiceReduced,
  constantCost,
  noSwitchCost,
  chanceResponder,
  slowPerseveration,
  bayesianRuleInference,
  ntaFlexible,
  ntaForgetful,
  ntaFlexiblePrior,
  ntaForgetfulPrior,
];

export function getGenerator(name: string): Generator {
  const g = GENERATORS.find((x) => x.name === name);
  if (!g)
    throw new Error(
      `Unknown generator "${name}" (known: ${GENERATORS.map((x) => x.name).join(", ")})`,
    );
  return g;
}
