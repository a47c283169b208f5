using ControlPlane.Domain.Common;

namespace ControlPlane.Web.Components.Shared;

/// <summary>Reports how much of an upload has been read, at most once per whole percent.</summary>
internal sealed class ProgressStream(Stream inner, long total, Func<double, Task> report) : ReadOnlyWrapperStream(inner)
{
    private long _read;
    private int _lastPercent = -1;

    public override long Length => total;
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var n = await Inner.ReadAsync(buffer, cancellationToken);
        _read += n;
        var percent = total == 0 ? 100 : (int)(_read * 100 / total);
        if (percent != _lastPercent)
        {
            _lastPercent = percent;
            await report(percent);
        }
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read asynchronously.");
}
