import { DiscoveryError } from './discovery-error';
import type { ResolvedOptions } from '../options/validate-options';
import { fetchMetadata, type MetadataTransport } from './fetch-metadata';
import { chooseTokenEndpoint, tokenEndpointsOf } from './metadata';
import { metadataUrls } from './well-known';

/** First wait after a failed discovery before the metadata is fetched again; doubles per failure in a row. */
export const DISCOVERY_RETRY_BASE_MS = 1_000;
/** Longest wait between two discovery attempts. */
export const DISCOVERY_RETRY_MAX_MS = 300_000;

/**
 * The token endpoint of an attachment configured with `issuer` (and no `tokenUrl`), from the
 * authorization server's metadata. Loaded on first use (`import()`), one per attachment:
 * - fetched on the first need of a token, once for all concurrent callers (single flight), then
 *   kept for the attachment's life;
 * - RFC 8414's location first, OpenID Discovery's when the first gives no document; a document whose
 *   `issuer` differs from the configured one ends discovery at once (it is not "another try");
 * - a failure is served at once (no request) for a doubling back-off (1 s, 2 s, … 5 minutes), then
 *   the next need fetches again: a down or misconfigured server costs at most one discovery per back-off.
 */
export class Discovery {
  private endpoint?: string;
  private endpoints?: readonly string[];
  private inflight?: Promise<string | DiscoveryError>;
  private failure?: DiscoveryError;
  private failuresInARow = 0;

  constructor(private readonly options: ResolvedOptions) {}

  /**
   * Every token endpoint the metadata names (the one used and its mutual-TLS alias), once discovery
   * succeeded; undefined before.
   */
  get tokenEndpoints(): readonly string[] | undefined {
    return this.endpoints;
  }

  /** The token endpoint, or the {@link DiscoveryError} to fail the token request with. Never rejects. */
  tokenEndpoint(transport: MetadataTransport): Promise<string | DiscoveryError> {
    if (this.endpoint !== undefined) return Promise.resolve(this.endpoint);
    const failure = this.failure;
    if (failure && failure.retryAt > this.options.clock()) return Promise.resolve(failure);
    this.inflight ??= this.discover(transport).finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async discover(transport: MetadataTransport): Promise<string | DiscoveryError> {
    const issuer = this.options.issuer as string;
    const urls: string[] = [];
    const reasons: string[] = [];
    let status: number | undefined;
    for (const url of metadataUrls(issuer)) {
      urls.push(url);
      const answer = await fetchMetadata(url, transport);
      if (answer.kind === 'failed') {
        reasons.push(answer.why);
        status = answer.status;
        continue;
      }
      const choice = chooseTokenEndpoint(answer.document as Record<string, unknown>, this.options);
      if (choice.kind === 'endpoint') {
        this.endpoint = choice.url;
        this.endpoints = tokenEndpointsOf(answer.document as Record<string, unknown>);
        this.failure = undefined;
        this.failuresInARow = 0;
        return choice.url;
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
  ): DiscoveryError {
    this.failuresInARow += 1;
    const delay = Math.min(DISCOVERY_RETRY_BASE_MS * 2 ** (this.failuresInARow - 1), DISCOVERY_RETRY_MAX_MS);
    const now = this.options.clock();
    const retryAt = now + delay;
    const message =
      `Discovery of the authorization server "${this.options.issuer as string}" failed, so no token was requested: ${why}` +
      `; next attempt after ${new Date(retryAt).toISOString()}`;
    const error = new DiscoveryError(message, {
      reason,
      issuer: this.options.issuer as string,
      urls,
      status,
      retryAt,
    });
    this.failure = error;
    return error;
  }
}
