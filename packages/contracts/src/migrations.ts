// Storage-mode switch and live migration (issue 6).
export {};
