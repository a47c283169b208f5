using Apache.Arrow;
using Apache.Arrow.Ipc;
using ControlPlane.Domain.Common;

namespace ControlPlane.Domain.Production.Ingest;

/// <summary>The record batches of an Arrow IPC stream; a body that is not one is a 400 and stores nothing.</summary>
internal static class ArrowBodies
{
    public static IEnumerable<RecordBatch> Batches(ReadOnlyMemory<byte> body)
    {
        ArrowStreamReader reader;
        try
        {
            reader = new ArrowStreamReader(body);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Malformed(e);
        }
        using (reader)
        {
            while (true)
            {
                RecordBatch? batch;
                try
                {
                    batch = reader.ReadNextRecordBatch();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw Malformed(e);
                }
                if (batch is null)
                    yield break;
                using (batch)
                    yield return batch;
            }
        }
    }

    private static ValidationException Malformed(Exception e) =>
        new($"The body is not an Arrow IPC stream; nothing was stored. {e.Message}");
}
