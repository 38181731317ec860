/// Relative change against a baseline in percent, as the paper's table 3 writes "27 (−72%)".
public enum RelativeChange {
    /// nil when there is no baseline value or it is 0 (a change from nothing has no ratio).
    public static func percent(_ value: Double?, baseline: Double?) -> Double? {
        guard let value, let baseline, baseline != 0 else { return nil }
        return (value - baseline) / baseline * 100
    }

    /// "−72%", "+5%", "±0%": rounded to whole percent with a real minus sign, like the paper.
    public static func label(_ percent: Double?) -> String? {
        guard let percent else { return nil }
        let r = Int(percent.rounded())
        if r == 0 { return "±0%" }
        return r < 0 ? "\u{2212}\(-r)%" : "+\(r)%"
    }
}
