/**
 * Set to 1 in the extension host's environment by the end-to-end tests only: the server then
 * honours its test requests (debugProtocol.ts), so a test can make it hang as a stuck check would.
 */
export const TEST_REQUESTS_VARIABLE = 'LLM_ROOFLINE_TEST_REQUESTS';
