// Placeholder from the foundation commit: the ingest work replaces it with the mpegts.js player.
export interface LivePlayerProps {
  sessionId: string;
  /** Whether the session is live now (the player connects only then). */
  live: boolean;
}

export function LivePlayer(_props: LivePlayerProps) {
  return null;
}
