"""Provenance: who consented to which uses of a clone, and labels that travel with every image
(C2PA manifests, an invisible watermark, an optional visible disclosure)."""
