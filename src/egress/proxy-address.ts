/**
 * Where the agent reaches its egress enforcer: the enforcer's name on the agent's network, and its port.
 * A file of its own with no imports, since the enforcer bundle (egress/proxy.cjs) needs it and nothing
 * else of the layout: the bundle imports only its own folder (test/unit/architecture/enforcer.test.ts).
 */
export const PROXY_ALIAS = "egress";
export const PROXY_PORT = 3128;
export const PROXY_URL = `http://${PROXY_ALIAS}:${PROXY_PORT}`;
