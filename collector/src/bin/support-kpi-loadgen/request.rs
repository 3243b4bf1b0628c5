//! The requests: the example report of docs/kpis.md (one visitor, three page views,
//! a resolved chat; 516 bytes) with a fresh random id and the current
//! hour as its period, POSTed with the headers a browser's `fetch` sends.

use std::fmt::Write as _;

/// Builds report requests for one site and origin.
pub struct Requests {
    /// Everything before the 32 hex digits of the id.
    before_id: Vec<u8>,
    /// Everything after them.
    after_id: Vec<u8>,
    random: SplitMix64,
}

impl Requests {
    /// Requests for `site` from `origin` to `host` (the `Host` header), period = the hour of `now_ms`.
    pub fn new(host: &str, site: &str, origin: &str, now_ms: i64, seed: u64) -> Requests {
        const HOUR_MS: i64 = 3_600_000;
        let from = now_ms - now_ms.rem_euclid(HOUR_MS);
        let to = from + HOUR_MS;
        let before = format!(r#"{{"v":1,"site":"{site}","id":""#);
        let after = format!(
            concat!(
                r#"","period":{{"from":{from},"to":{to}}},"serviceLevelSeconds":60,"engagement":[3,2,1,1,1,2,1,1,1],"#,
                r#""availability":[3,3,3],"speed":[1],"prevention":[1,0,1,1],"contribution":[1,1],"productivity":[4,1],"#,
                r#""firstResponse":{{"sumMs":24000,"buckets":[[605,1]]}},"#,
                r#""response":{{"sumMs":84000,"buckets":[[605,1],[693,1]]}},"#,
                r#""resolution":{{"sumMs":230000,"buckets":[[816,1]]}},"goals":{{"purchase":[1,49990,1,49990]}},"#,
                r#""csat":[0,0,0,0,1],"hours":{{"9":[3,2,1,3,3]}}}}"#
            ),
            from = from,
            to = to
        );
        let length = before.len() + 32 + after.len();
        let mut head = String::new();
        // What Chromium sends for fetch(endpoint, {method: "POST", keepalive: true, credentials: "omit"}).
        let _ = write!(
            head,
            "POST /api/report HTTP/1.1\r\nHost: {host}\r\nConnection: keep-alive\r\nContent-Length: {length}\r\n\
             User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 \
             Safari/537.36\r\nContent-Type: text/plain;charset=UTF-8\r\nAccept: */*\r\nOrigin: {origin}\r\n\
             Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: cors\r\nSec-Fetch-Dest: empty\r\n\
             Accept-Encoding: gzip, deflate, br, zstd\r\nAccept-Language: en-US,en;q=0.9\r\n\r\n"
        );
        let mut before_id = head.into_bytes();
        before_id.extend_from_slice(before.as_bytes());
        Requests { before_id, after_id: after.into_bytes(), random: SplitMix64(seed) }
    }

    /// The size of each report body in bytes.
    pub fn body_len(&self) -> usize {
        let head_end = self.before_id.windows(4).position(|w| w == b"\r\n\r\n").map_or(0, |end| end + 4);
        self.before_id.len() - head_end + 32 + self.after_id.len()
    }

    /// The next request, with a fresh random report id.
    pub fn next_request(&mut self) -> Vec<u8> {
        let id = u128::from(self.random.next()) << 64 | u128::from(self.random.next());
        let mut request = Vec::with_capacity(self.before_id.len() + 32 + self.after_id.len());
        request.extend_from_slice(&self.before_id);
        request.extend_from_slice(format!("{id:032x}").as_bytes());
        request.extend_from_slice(&self.after_id);
        request
    }
}

/// SplitMix64: a fast generator, seeded from the operating system, for report ids.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::Requests;
    use support_kpi::Report;

    /// The example report of docs/kpis.md (section "What leaves the browser").
    const KPIS_MD_EXAMPLE: &str = concat!(
        r#"{"v":1,"site":"acme-help","id":"7a9c2a8db64ed1af46f3c1bc985153cf","period":{"from":1795420800000,"#,
        r#""to":1795424400000},"serviceLevelSeconds":60,"engagement":[3,2,1,1,1,2,1,1,1],"availability":[3,3,3],"#,
        r#""speed":[1],"prevention":[1,0,1,1],"contribution":[1,1],"productivity":[4,1],"#,
        r#""firstResponse":{"sumMs":24000,"buckets":[[605,1]]},"response":{"sumMs":84000,"buckets":[[605,1],[693,1]]},"#,
        r#""resolution":{"sumMs":230000,"buckets":[[816,1]]},"goals":{"purchase":[1,49990,1,49990]},"#,
        r#""csat":[0,0,0,0,1],"hours":{"9":[3,2,1,3,3]}}"#
    );

    #[test]
    fn requests_carry_the_readme_example_with_fresh_ids() {
        let mut requests =
            Requests::new("127.0.0.1:8787", "acme-help", "https://help.acme.example", 1_795_421_000_000, 7);
        let (a, b) = (requests.next_request(), requests.next_request());
        let body = |request: &[u8]| {
            let start = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            request[start..].to_vec()
        };
        let (report_a, report_b) = (Report::decode(&body(&a)).unwrap(), Report::decode(&body(&b)).unwrap());
        assert_ne!(report_a.id(), report_b.id());
        assert_eq!(report_a.site(), "acme-help");
        assert_eq!(report_a.period().map(|p| (p.from, p.to)), Some((1_795_420_800_000, 1_795_424_400_000)));
        assert_eq!(body(&a).len(), requests.body_len());
        let mut example = report_a.clone();
        example.set_id(Some(support_kpi::ReportId::from_hex("7a9c2a8db64ed1af46f3c1bc985153cf").unwrap()));
        assert_eq!(String::from_utf8(body(&a)).unwrap().len(), KPIS_MD_EXAMPLE.len());
        assert_eq!(example.encode(), KPIS_MD_EXAMPLE, "the example report of docs/kpis.md, with another id");
        let head = String::from_utf8(a[..a.len() - requests.body_len()].to_vec()).unwrap();
        assert!(
            head.contains("\r\nContent-Length: 516\r\n") && head.contains("\r\nOrigin: https://help.acme.example\r\n")
        );
    }
}
