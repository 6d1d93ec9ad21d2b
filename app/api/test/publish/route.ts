import { testPublishRoute } from '../../../../lib/server/test-publish-route';

export const dynamic = 'force-dynamic';
export const POST = testPublishRoute;
