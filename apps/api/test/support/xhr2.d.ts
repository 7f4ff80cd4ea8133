// xhr2 ships no types: what the Uppy test helpers use of it.
declare module 'xhr2' {
  class XMLHttpRequest {
    send(body?: unknown): void;
    open(method: string, url: string, async?: boolean): void;
  }
  export default XMLHttpRequest;
}
