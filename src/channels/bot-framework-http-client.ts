import { toCompatResponse, type CompatResponse, type RequestPolicy, type WebResourceLike } from '@azure/core-http-compat';
import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, type HttpClient } from '@azure/core-rest-pipeline';

/**
 * The HTTP client of botbuilder's ConnectorClient (`connectorClientOptions.httpClient`) with a time-out on every
 * call to a channel. botbuilder sends replies with no time-out at all, so a channel (or a serviceUrl) that never
 * answers would hold the turn, and the conversation's queue behind it, forever.
 */
export class TimeoutHttpClient implements RequestPolicy {
  constructor(
    private readonly timeoutMs: number,
    private readonly inner: HttpClient = createDefaultHttpClient(),
  ) {}

  async sendRequest(resource: WebResourceLike): Promise<CompatResponse> {
    const timeout = resource.timeout > 0 ? Math.min(resource.timeout, this.timeoutMs) : this.timeoutMs;
    const request = createPipelineRequest({
      url: resource.url,
      method: resource.method,
      headers: createHttpHeaders(resource.headers.toJson({ preserveCase: true })),
      timeout,
      // botbuilder's own client allows http when the serviceUrl is http; which serviceUrls may be used at all is
      // decided before the turn (ServiceUrlAllowList: http only for loopback in anonymous mode).
      allowInsecureConnection: resource.url.toLowerCase().startsWith('http:'),
      ...(resource.body !== undefined ? { body: resource.body as string } : {}),
      ...(resource.abortSignal ? { abortSignal: resource.abortSignal } : {}),
      ...(resource.requestId ? { requestId: resource.requestId } : {}),
      ...(resource.proxySettings ? { proxySettings: resource.proxySettings } : {}),
      ...(resource.streamResponseStatusCodes ? { streamResponseStatusCodes: resource.streamResponseStatusCodes } : {}),
    });
    return toCompatResponse(await this.inner.sendRequest(request), { createProxy: true });
  }
}
