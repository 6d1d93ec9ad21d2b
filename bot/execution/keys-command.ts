/** The command that creates or shows the wallet and API credentials (named in preflight findings and errors). */
export const KEYS_COMMAND = 'npm run keys';
