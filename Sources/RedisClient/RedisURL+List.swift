extension RedisURL {
    /// Reads one URL or a comma-separated list of them, the seed nodes of a cluster:
    /// `redis://[user[:password]@]host[:port][/db][,[redis://...]host[:port]...]`. An element after the first may be
    /// just `host[:port]`: it takes the first's user, password and database.
    /// - Returns: nil when any element is not a URL.
    public static func list(_ text: String) -> [RedisURL]? {
        let elements = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let first = elements.first.flatMap({ RedisURL($0) }) else { return nil }
        var urls = [first]
        for element in elements.dropFirst() {
            if element.hasPrefix("redis://") {
                guard let url = RedisURL(element) else { return nil }
                urls.append(url)
            } else {
                guard var url = RedisURL("redis://" + element), !element.contains("@"), !element.contains("/") else {
                    return nil
                }
                url.username = first.username
                url.password = first.password
                url.database = first.database
                urls.append(url)
            }
        }
        return urls
    }
}
