// Copies of protocols/*.yaml built into the binary, so `landmark` works from any directory.
// protocols/*.yaml is the source of truth: EmbeddedProtocolsTests fails when these drift.

enum EmbeddedProtocols {
    static let yaml: [String: String] = [
        "higher": #"""
        name: higher
        description: >-
          Strongest contrast: a tight percentile window, a steep S-curve, strong local equalisation and
          strong sharpening. For finding faint cortical edges and small landmarks.
        steps:
          - step: window
            source: percentiles
            low: 2
            high: 98
          - step: tone
            curve: sigmoid
            gain: 6
            midpoint: 0.5
          - step: clahe
            tiles_across: 8
            tiles_down: 8
            clip_limit: 4
            bins: 256
          - step: unsharp
            radius_mm: 1.5
            fallback_radius_px: 5
            amount: 1.5
          - step: clamp
        """# + "\n",
        "high": #"""
        name: high
        description: >-
          Strong contrast: a 1st-99th percentile window, moderate local equalisation and moderate
          sharpening. The default for training.
        steps:
          - step: window
            source: percentiles
            low: 1
            high: 99
          - step: clahe
            tiles_across: 8
            tiles_down: 8
            clip_limit: 2
            bins: 256
          - step: unsharp
            radius_mm: 1.0
            fallback_radius_px: 4
            amount: 0.6
          - step: clamp
        """# + "\n",
        "low": #"""
        name: low
        description: >-
          Mild contrast: the file's own VOI window (1st-99th percentiles when it has none), a linear
          tone curve, no local equalisation and light sharpening. Close to what a viewer shows.
        steps:
          - step: window
            source: voi
            voi: window
            fallback: percentiles
            low: 1
            high: 99
          - step: tone
            curve: linear
          - step: unsharp
            radius_mm: 1.0
            fallback_radius_px: 4
            amount: 0.5
          - step: clamp
        """# + "\n",
        "lower": #"""
        name: lower
        description: >-
          Weakest contrast: the full stored value range and a gentle gamma that lifts the darks, which
          flattens bone against soft tissue. No local equalisation, no sharpening.
        steps:
          - step: window
            source: full_range
          - step: tone
            curve: gamma
            gamma: 0.8
          - step: clamp
        """# + "\n",
    ]
}
