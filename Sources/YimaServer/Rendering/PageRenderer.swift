import Foundation
import Mustache
import YimaCodes
import YimaText

/// Renders the consumer page from `templates/` (Mustache): `lookup.mustache` is the
/// page with the verdict and scan status, `lookup-details.mustache` the batch's
/// sections (rendered once per batch head and language, then spliced in), and
/// `style.mustache` the inline CSS. No external assets, no JavaScript.
public struct PageRenderer: Sendable {
    let library: MustacheLibrary

    public init(templates directory: String) async throws {
        for name in ["lookup", "lookup-details", "style"] {
            let path = (directory as NSString).appendingPathComponent("\(name).mustache")
            guard FileManager.default.fileExists(atPath: path) else {
                throw TemplateError(message: "template \(path) is missing; pass --templates DIR (the repository's templates/ folder)")
            }
        }
        library = try await MustacheLibrary(directory: directory)
    }

    struct TemplateError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }

    func details(_ model: [String: Any], language: Language) -> String {
        var model = model
        model["t"] = Self.labels(language)
        return library.render(model, withTemplate: "lookup-details") ?? ""
    }

    func page(_ model: [String: Any], language: Language) -> String {
        var model = model
        model["t"] = Self.labels(language)
        model["lang"] = language == .chinese ? "zh-CN" : "en"
        return library.render(model, withTemplate: "lookup") ?? ""
    }

    static func labels(_ language: Language) -> [String: String] {
        language == .chinese ? chinese : english
    }

    static let chinese: [String: String] = [
        "site": "一码 · 农产品追溯查询", "genuine": "正品码：此码由登记主体签发", "genuineText": "二维码签名有效，且与登记签发的码一致。",
        "issuedBy": "签发主体", "key": "密钥",
        "recalled": "此批次已被召回", "recallReason": "原因", "recallAction": "措施",
        "copyWarning": "此码可能已被复制", "firstScan": "首次查询时间",
        "signed": "以下每条记录均由责任主体数字签名，并写入不可篡改的透明日志；可用 JSON 下载全部签名自行核验。",
        "otherLanguage": "English", "lot": "批号", "serial": "序列号",
        "product": "商品", "name": "名称", "variety": "品种", "category": "类别", "countyCode": "（县级赋码）",
        "producer": "生产主体", "creditCode": "统一社会信用代码", "address": "地址", "contact": "联系方式",
        "origin": "产地", "place": "地块", "division": "行政区划代码", "gps": "坐标（WGS 84）", "season": "产季", "quantity": "批量",
        "inputs": "投入品", "pesticide": "农药", "registration": "登记证号", "dose": "用量", "date": "日期", "interval": "安全间隔期",
        "days": "天", "earliestHarvest": "最早可采收", "fertilizer": "肥料", "type": "类型", "amount": "用量",
        "tests": "检测", "pass": "合格", "fail": "不合格", "report": "报告编号", "item": "项目", "result": "结果", "limit": "限量",
        "certificates": "认证（三品一标）", "timeline": "追溯记录",
        "compliance": "承诺达标合格证", "complianceLabel": "查看合格证",
    ]

    static let english: [String: String] = [
        "site": "Yima · produce traceability", "genuine": "Genuine: issued by a registered producer",
        "genuineText": "The code's signature is valid and matches the code that was issued.",
        "issuedBy": "Issued by", "key": "key",
        "recalled": "This batch has been recalled", "recallReason": "Reason", "recallAction": "Action",
        "copyWarning": "This code may have been copied", "firstScan": "First checked",
        "signed": "Every record below is digitally signed by the party responsible for it and entered in a tamper-evident log; download the JSON to check every signature yourself.",
        "otherLanguage": "中文", "lot": "lot", "serial": "serial",
        "product": "Product", "name": "Name", "variety": "Variety", "category": "Category", "countyCode": "(county-assigned code)",
        "producer": "Producer", "creditCode": "Unified social credit code", "address": "Address", "contact": "Contact",
        "origin": "Origin", "place": "Plot", "division": "Division code", "gps": "Coordinates (WGS 84)", "season": "Season",
        "quantity": "Batch size",
        "inputs": "Inputs", "pesticide": "Pesticide", "registration": "Registration no.", "dose": "Dose", "date": "Date",
        "interval": "Safety interval", "days": "days", "earliestHarvest": "harvest from", "fertilizer": "Fertilizer", "type": "Type",
        "amount": "Amount", "tests": "Tests", "pass": "pass", "fail": "FAIL", "report": "report", "item": "Item", "result": "Result",
        "limit": "Limit", "certificates": "Certificates", "timeline": "History",
        "compliance": "Compliance certificates (承诺达标合格证)", "complianceLabel": "view the certificate",
    ]
}
