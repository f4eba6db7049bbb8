export { discover } from './discover';
export { DiscoveryError, type DiscoveryFailureReason } from './discovery-error';
export type { EndpointSource, ResolvedEndpoint } from '../../contracts/endpoint';
