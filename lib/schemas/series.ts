/**
 * Series vocabulary shared by server and browser: a window kind is a length label (`5m`, `15m`, `1h`, `4h`, `1d`),
 * never a closed list (bot/core/series.ts has the maths). Assets are lower-case tickers (`btc`, `eth`).
 */
import { z } from 'zod';

export const windowKindSchema = z.string().regex(/^[1-9][0-9]{0,3}[mhd]$/, 'a window length label such as 5m, 15m, 1h or 4h');
export const assetSchema = z.string().regex(/^[a-z]{2,10}$/, 'lower-case asset symbol, e.g. btc');
