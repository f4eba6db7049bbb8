import { DiscoveryError } from './discovery-error';
import { fetchMetadata } from './fetch-metadata';
import { chooseEndpoints } from './metadata';
import { metadataUrls } from './well-known';
import type {
  EndpointAttachContext,
  EndpointRequestContext,
  EndpointResolution,
  EndpointResolver,
  ResolvedEndpoint,
} from '../../contracts/endpoint';

/** First wait after a failed discovery before the metadata is fetched again; doubles per failure in a row. */
export const DISCOVERY_RETRY_BASE_MS = 1_000;
/** Longest wait between two discovery attempts. */
export const DISCOVERY_RETRY_MAX_MS = 300_000;

/**
 * The endpoints of one attachment whose `tokenUrl` is `discover(issuer)`, from the authorization
 * server's metadata:
 * - fetched on the first need of a token, once for all concurrent callers (single flight), then
 *   kept for the attachment's life;
 * - RFC 8414's location first, OpenID Discovery's when the first gives no document; a document whose
 *   `issuer` differs from the configured one ends discovery at once (it is not "another try");
 * - a failure is served at once (no request) for a doubling back-off (1 s, 2 s, … 5 minutes), then
 *   the next need fetches again: a down or misconfigured server costs at most one discovery per back-off.
 */
export class Discovery implements EndpointResolver {
  private endpoint?: ResolvedEndpoint;
  private inflight?: Promise<EndpointResolution>;
  private failure?: DiscoveryError;
  private failuresInARow = 0;

  constructor(
    private readonly issuer: string,
    private readonly attachment: EndpointAttachContext,
  ) {}

  get current(): ResolvedEndpoint | undefined {
    return this.endpoint;
  }

  resolve(context: EndpointRequestContext): Promise<EndpointResolution> {
    if (this.endpoint !== undefined) return Promise.resolve({ ok: true, endpoint: this.endpoint });
    const failure = this.failure;
    if (failure && failure.retryAt > this.attachment.clock()) return Promise.resolve({ ok: false, error: failure });
    this.inflight ??= this.discover(context).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async discover(context: EndpointRequestContext): Promise<EndpointResolution> {
    const urls: string[] = [];
    const reasons: string[] = [];
    let status: number | undefined;
    for (const url of metadataUrls(this.issuer)) {
      urls.push(url);
      const answer = await fetchMetadata(url, context);
      if (answer.kind === 'failed') {
        reasons.push(answer.why);
        status = answer.status;
        continue;
      }
      const choice = chooseEndpoints(answer.document as Record<string, unknown>, this.issuer, this.attachment);
      if (choice.kind === 'endpoint') {
        this.endpoint = choice.endpoint;
        this.failure = undefined;
        this.failuresInARow = 0;
        return { ok: true, endpoint: choice.endpoint };
      }
      return this.failed(choice.reason, `${url}: ${choice.why}`, urls, 200);
    }
    return this.failed('unreachable', `no metadata document: ${reasons.join('; ')}`, urls, status);
  }

  private failed(
    reason: DiscoveryError['reason'],
    why: string,
    urls: string[],
    status: number | undefined,
  ): EndpointResolution {
    this.failuresInARow += 1;
    const delay = Math.min(DISCOVERY_RETRY_BASE_MS * 2 ** (this.failuresInARow - 1), DISCOVERY_RETRY_MAX_MS);
    const retryAt = this.attachment.clock() + delay;
    const message =
      `Discovery of the authorization server "${this.issuer}" failed, so no token was requested: ${why}` +
      `; next attempt after ${new Date(retryAt).toISOString()}`;
    const error = new DiscoveryError(message, { reason, issuer: this.issuer, urls, status, retryAt });
    this.failure = error;
    return { ok: false, error };
  }
}
