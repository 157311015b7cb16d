/** The Latch padlock, decorative: the word beside it names the link. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="#1d4ed8" />
      <path d="M10 15v-3a6 6 0 0 1 12 0v3" fill="none" stroke="#fff" strokeWidth="2.5" />
      <rect x="8" y="15" width="16" height="11" rx="2" fill="#fff" />
    </svg>
  );
}
