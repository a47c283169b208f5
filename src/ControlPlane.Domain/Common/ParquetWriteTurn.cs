namespace ControlPlane.Domain.Common;

/// <summary>
/// Parquet.Net 6.1 corrupts nullable columns when one process writes two files at once: values shift into the places
/// of nulls (reproduced: 2–30 of 400 files written concurrently read back wrong; none when the writes take turns,
/// even with reads running beside them). Every Parquet file the app writes is written in this one turn. Writing is
/// the fast part (~800,000 rows/s on the 2-core reference machine), so the turn costs little.
/// </summary>
public static class ParquetWriteTurn
{
    private static readonly SemaphoreSlim Turn = new(1, 1);

    public static async Task<IDisposable> TakeAsync(CancellationToken ct)
    {
        await Turn.WaitAsync(ct);
        return new Held();
    }

    private sealed class Held : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                Turn.Release();
        }
    }
}
