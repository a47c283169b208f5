namespace ControlPlane.TestSupport;

public static class Eventually
{
    /// <summary>Polls until the probe returns a value, or fails with what it waited for.</summary>
    public static async Task<T> GetAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string waitingFor) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await probe() is { } value)
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Gave up after {timeout.TotalSeconds:0}s waiting for {waitingFor}.");
            await Task.Delay(200);
        }
    }
}
