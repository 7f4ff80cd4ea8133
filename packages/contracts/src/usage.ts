// Usage and cost estimates (issue 6).
export {};
