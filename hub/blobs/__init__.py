"""Media blobs from kiosks, addressed by their SHA-256: resumable upload, checks, storage and pruning."""
