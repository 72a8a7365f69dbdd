// Profile likelihood of the timescale ratio ρ = τ_c/τ_w for one participant (docs/fitting.md,
// "Recovery design"): at each fixed log ρ, maximise the marginal likelihood over (τ_w, λ, β, lapse)
// by Nelder–Mead from the given starting points (e.g. the generating θ and the fitted θ). A flat
// profile over a range of log ρ means the data cannot tell those ratios apart (identifiability), as
// opposed to an optimiser that misses a better point.
import type { OutputEngine } from "./engine";
import { marginalLogLikelihood } from "./likelihood";
import { nelderMead } from "./optimise";
import { PRIOR, type Theta, fromU, modelParamsFor, toU } from "./transforms";

export type ProfilePoint = { logRatio: number; logLik: number; theta: Theta };

export async function profileRatio(
  engine: OutputEngine,
  choices: Int8Array,
  logRatios: readonly number[],
  starts: readonly Theta[],
  maxEvals = 400,
): Promise<ProfilePoint[]> {
  const specs = [PRIOR.tauW, PRIOR.lambda, PRIOR.beta, PRIOR.lapse];
  const box = { lo: specs.map((s) => toU(s, s.lo)), hi: specs.map((s) => toU(s, s.hi)) };
  const out: ProfilePoint[] = [];
  for (const lr of logRatios) {
    const thetaOf = (x: number[]): Theta => {
      const tauW = fromU(specs[0], x[0]);
      return {
        tauW,
        tauC: tauW * Math.exp(lr),
        lambda: fromU(specs[1], x[1]),
        beta: fromU(specs[2], x[2]),
        lapse: fromU(specs[3], x[3]),
      };
    };
    const nll = async (x: number[]) => {
      const th = thetaOf(x);
      if (th.tauC! < PRIOR.tauC.lo || th.tauC! > PRIOR.tauC.hi) return Infinity;
      return -marginalLogLikelihood(
        await engine([modelParamsFor("flexible", th)]),
        choices,
        th.beta!,
        th.lapse!,
      );
    };
    let best = { x: [] as number[], f: Infinity };
    for (const s of starts) {
      const r = await nelderMead(
        nll,
        [
          toU(specs[0], s.tauW!),
          toU(specs[1], s.lambda!),
          toU(specs[2], s.beta!),
          toU(specs[3], s.lapse!),
        ],
        box,
        { maxEvals },
      );
      if (r.f < best.f) best = r;
    }
    out.push({ logRatio: lr, logLik: -best.f, theta: thetaOf(best.x) });
  }
  return out;
}
