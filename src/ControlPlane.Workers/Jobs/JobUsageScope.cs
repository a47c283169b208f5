namespace ControlPlane.Workers.Jobs;

/// <summary>What a job (or the code it calls) adds to its own usage row.</summary>
public interface IJobUsage
{
    void AddRows(long rows);

    /// <summary>Time spent in ONNX Runtime <c>Run</c> on the CUDA provider.</summary>
    void AddGpuTime(TimeSpan time);

    /// <summary>A child process the job ran: its CPU time and peak resident memory.</summary>
    void AddChildProcess(TimeSpan cpu, long peakBytes);
}

/// <summary>
/// The usage of the job running in this async flow. <see cref="JobUsageFilter"/> opens it on the worker thread before
/// the job runs, and it flows with the job's execution context into every continuation, <c>Task.Run</c> and parallel
/// loop. Its CPU time is the CPU of exactly those threads while they ran this job's code: an <see cref="AsyncLocal{T}"/>
/// change callback reads the thread's CPU clock whenever a thread enters or leaves the scope, so jobs that share the
/// worker process are not charged for each other. Outside a job, <see cref="Current"/> is a sink that keeps nothing.
/// </summary>
public sealed class JobUsageScope : IJobUsage
{
    private static readonly AsyncLocal<JobUsageScope?> Slot = new(OnChanged);
    [ThreadStatic] private static long t_enteredAt;

    private long _cpuTicks, _rows, _gpuTicks, _childCpuTicks, _childPeak, _workerPeak;
    private int _openSlices;
    private bool _hasRows, _hasChild;
    private readonly Timer _memory;

    private JobUsageScope()
    {
        SampleWorkerMemory();
        using (ExecutionContext.SuppressFlow()) // the sampler's own CPU is not the job's
            _memory = new Timer(_ => SampleWorkerMemory(), null, MemorySample, MemorySample);
    }

    private static readonly TimeSpan MemorySample = TimeSpan.FromMilliseconds(250);

    public static IJobUsage Current => Slot.Value ?? (IJobUsage)Nothing.Instance;

    /// <summary>Starts measuring the calling flow; the caller must <see cref="End"/> it on the same flow.</summary>
    public static JobUsageScope Begin()
    {
        var scope = new JobUsageScope();
        Slot.Value = scope;
        return scope;
    }

    /// <summary>
    /// Stops measuring. The calling thread's last slice is counted as the slot clears; a pool thread that finished the
    /// job's last piece of work counts its slice when it leaves that work item, which can be just after the job's
    /// continuation has run, so this waits a moment (at most <see cref="Settle"/>) for those. Work the job left running
    /// past that is not counted.
    /// </summary>
    public void End()
    {
        if (ReferenceEquals(Slot.Value, this))
            Slot.Value = null;
        SpinWait.SpinUntil(() => Volatile.Read(ref _openSlices) == 0, Settle);
        _memory.Dispose();
        SampleWorkerMemory();
    }

    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(200);

    public TimeSpan Cpu => TimeSpan.FromTicks(Interlocked.Read(ref _cpuTicks));
    public TimeSpan ChildCpu => TimeSpan.FromTicks(Interlocked.Read(ref _childCpuTicks));
    public TimeSpan Gpu => TimeSpan.FromTicks(Interlocked.Read(ref _gpuTicks));
    public long? Rows => Volatile.Read(ref _hasRows) ? Interlocked.Read(ref _rows) : null;
    public bool HasChild => Volatile.Read(ref _hasChild);
    /// <summary>The children's peak if the job ran any, else the worker process's peak working set while the job ran.</summary>
    public long PeakMemoryBytes => HasChild ? Interlocked.Read(ref _childPeak) : Interlocked.Read(ref _workerPeak);

    public void AddRows(long rows)
    {
        Interlocked.Add(ref _rows, rows);
        Volatile.Write(ref _hasRows, true);
    }

    public void AddGpuTime(TimeSpan time) => Interlocked.Add(ref _gpuTicks, time.Ticks);

    public void AddChildProcess(TimeSpan cpu, long peakBytes)
    {
        Interlocked.Add(ref _childCpuTicks, cpu.Ticks);
        Max(ref _childPeak, peakBytes);
        Volatile.Write(ref _hasChild, true);
    }

    private void SampleWorkerMemory() => Max(ref _workerPeak, Environment.WorkingSet);

    private static void Max(ref long field, long value)
    {
        var seen = Interlocked.Read(ref field);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref field, value, seen);
            if (previous == seen)
                return;
            seen = previous;
        }
    }

    private static void OnChanged(AsyncLocalValueChangedArgs<JobUsageScope?> change)
    {
        if (ReferenceEquals(change.PreviousValue, change.CurrentValue))
            return;
        var now = ThreadCpuClock.NowTicks();
        if (change.PreviousValue is { } left)
        {
            Interlocked.Add(ref left._cpuTicks, Math.Max(0, now - t_enteredAt));
            Interlocked.Decrement(ref left._openSlices);
        }
        if (change.CurrentValue is { } entered)
        {
            Interlocked.Increment(ref entered._openSlices);
            t_enteredAt = now;
        }
    }

    private sealed class Nothing : IJobUsage
    {
        public static readonly Nothing Instance = new();

        public void AddRows(long rows)
        {
        }

        public void AddGpuTime(TimeSpan time)
        {
        }

        public void AddChildProcess(TimeSpan cpu, long peakBytes)
        {
        }
    }
}
