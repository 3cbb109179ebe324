// Placeholder from the foundation commit: the ingest work replaces it.
export interface IngestPanelProps {
  sessionId: string;
}

export function IngestPanel(_props: IngestPanelProps) {
  return null;
}
