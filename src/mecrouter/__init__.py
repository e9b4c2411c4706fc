"""mecrouter: route AI inference requests across device, MEC edge and cloud."""
