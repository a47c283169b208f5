namespace ControlPlane.Workers.Drift.Statistics;

/// <summary>A reported test that cannot see drift on this column's data, and the method to read instead.</summary>
/// <param name="Method">The blind test.</param>
/// <param name="Trust">The method whose value still means something here.</param>
/// <param name="Message">Why, in figures, for people.</param>
public sealed record DriftTestWarning(DriftMethod Method, DriftMethod Trust, string Message);
