// Must pass lint: zod and lib/core are the only imports lib/core may use.
import { z } from "zod";

import { createRng } from "@/lib/core/rng";

export const schema = z.number();
export const rng = createRng(1);
