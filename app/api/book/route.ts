import { bookRoute } from '../../../lib/server/routes-book';

export const dynamic = 'force-dynamic';
export const GET = bookRoute;
