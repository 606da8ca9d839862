declare module 'xhr2' {
  /** Node implementation of XMLHttpRequest (used as a global for botframework-directlinejs). */
  const XMLHttpRequest: unknown;
  export default XMLHttpRequest;
}
