/** Entry point of the enforcer bundle (egress/proxy.cjs), run by Node.js in the enforcer container. */
import { startEnforcer } from "./enforcer.js";

startEnforcer();
