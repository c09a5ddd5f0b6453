import BoxOfficeServer
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension BoxOfficeDaemon {
    /// Fits the connection limits to the process's limit on open files (`RLIMIT_NOFILE`; systemd's `LimitNOFILE=`),
    /// raising the soft limit towards the hard one first when that is allowed, and says in the log whether they fit.
    /// A daemon that ran out of descriptors could accept no connection at all, an identified kiosk's included.
    /// - Returns: the limits to serve with: `maxConnections` lowered when the descriptors do not suffice; nil when
    ///   not even the unidentified connections fit (the daemon must not start).
    static func limitsFittingDescriptors(_ limits: KioskServer.Limits, logger: Logger) -> KioskServer.Limits? {
        var files = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &files) == 0 else {
            logger.warning("cannot read the open-file limit; serving with the limits as given")
            return limits
        }
        let needed = rlim_t(limits.descriptorsNeeded)
        if files.rlim_cur < needed {
            var raised = files
            raised.rlim_cur = min(needed, files.rlim_max)
            // Refused under systemd's SystemCallFilter=~@resources: LimitNOFILE= is the way there.
            if raised.rlim_cur > files.rlim_cur, setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 {
                files = raised
            }
        }
        let available = Int(clamping: files.rlim_cur)
        guard let fitted = limits.fitted(toDescriptors: available) else {
            logger.critical(
                """
                the open-file limit is \(available): not enough for \(limits.maxUnidentified) unidentified connections \
                and one kiosk; raise LimitNOFILE to at least \(limits.descriptorsNeeded)
                """)
            return nil
        }
        if fitted.maxConnections < limits.maxConnections {
            logger.error(
                """
                the open-file limit is \(available), too low for \(limits.maxConnections) kiosk connections: serving \
                at most \(fitted.maxConnections); raise LimitNOFILE to \(limits.descriptorsNeeded)
                """)
        } else {
            logger.notice(
                """
                the open-file limit is \(available): room for \(limits.maxConnections) kiosk connections and \
                \(limits.maxUnidentified) unidentified ones
                """)
        }
        return fitted
    }
}
