import { reportHref } from '../../lib/access-reviews';

// The campaign's report as files: CSV for spreadsheets, and a page to print or keep. They hold the rows the
// user may read.

export function ReportLinks({ reviewId }: { reviewId: string }) {
  return (
    <p className="row-actions">
      <a className="button" href={reportHref(reviewId, 'csv')} download>
        Download report (CSV)
      </a>
      <a className="button" href={reportHref(reviewId, 'html')} target="_blank" rel="noopener noreferrer">
        Printable report <span className="visually-hidden">(opens in a new tab)</span>
      </a>
    </p>
  );
}
