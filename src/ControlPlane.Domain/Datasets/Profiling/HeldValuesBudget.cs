namespace ControlPlane.Domain.Datasets.Profiling;

/// <summary>
/// How many more numerical values the exact buffers of all columns may hold. Used from one thread, in column order,
/// so which column runs out first (and is sampled) is the same on every run.
/// </summary>
internal sealed class HeldValuesBudget(long capacity)
{
    private long _left = capacity;

    public bool TryTake(int count)
    {
        if (count > _left)
            return false;
        _left -= count;
        return true;
    }

    public void Return(long count) => _left += count;
}
