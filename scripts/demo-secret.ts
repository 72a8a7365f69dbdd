// Prints the demo's session secret (created once in .data/auth-secret), so that `npm run demo`
// can hand it to the production server explicitly: production never picks a secret off disk.
import { resolveAuthSecret } from "../lib/server/auth-secret";

process.stdout.write(resolveAuthSecret({}));
