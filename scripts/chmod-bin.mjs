// tsc drops the executable bit; npm sets it on install, but `node dist/cli/main.js` users and tests run it directly.
import { chmodSync } from "node:fs";
chmodSync(new URL("../dist/cli/main.js", import.meta.url), 0o755);
