//! Pagination.

use leptos::prelude::*;

/// `path` with `query` kept and `page` set (page 1 drops it): the address of another page of the
/// same list, so filters and sort order survive paging. Values are percent-encoded.
pub fn page_href(path: &str, query: &[(String, String)], page: u32) -> String {
    let mut pairs: Vec<(&str, String)> = query
        .iter()
        .filter(|(k, _)| k != "page")
        .map(|(k, v)| (k.as_str(), v.clone()))
        .collect();
    if page > 1 {
        pairs.push(("page", page.to_string()));
    }
    if pairs.is_empty() {
        path.to_string()
    } else {
        let q = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        format!("{path}?{q}")
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b' ' => "+".to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One entry of a numbered pagination: a page, or a gap ("⋯").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PageItem {
    Page(u32),
    Gap,
}

/// The pages to number (GOV.UK): the first, the last, the current one and its neighbours, with a
/// gap where pages are left out.
pub fn page_items(current: u32, last: u32) -> Vec<PageItem> {
    let mut items = Vec::new();
    let mut previous = 0;
    for p in 1..=last {
        if p == 1 || p == last || p.abs_diff(current) <= 1 {
            if p > previous + 1 {
                items.push(PageItem::Gap);
            }
            items.push(PageItem::Page(p));
            previous = p;
        }
    }
    items
}

/// Previous and next links, and, when the number of pages is known (`last`), numbered links
/// with the current page marked (`aria-current="page"`). `href` gives a page's address; use
/// [`page_href`] to keep the list's query. Without `last` it draws just "Previous page",
/// "Page n" and "Next page", as a list whose total is not counted (the enquiry list) needs.
///
/// ```ignore
/// view! {
///     <Pagination page=list.page has_next=list.has_next last=Some(list.pages)
///         href=move |p| page_href("/staff/enquiries", &query, p) />
/// }
/// ```
#[component]
pub fn Pagination(
    page: u32,
    has_next: bool,
    #[prop(optional)] last: Option<u32>,
    #[prop(into)] href: Callback<u32, String>,
) -> impl IntoView {
    let prev = (page > 1).then(|| href.run(page - 1));
    let next = has_next.then(|| href.run(page + 1));
    view! {
        <nav class="pagination" aria-label="Pages">
            {prev.map(|h| view! { <a href=h rel="prev">"Previous page"</a> })}
            {match last {
                None => view! { <span>{format!("Page {page}")}</span> }.into_any(),
                Some(last) => {
                    view! {
                        <ul class="pagination__list">
                            {page_items(page, last)
                                .into_iter()
                                .map(|item| match item {
                                    PageItem::Gap => {
                                        view! { <li class="pagination__item pagination__item--ellipses">"⋯"</li> }
                                            .into_any()
                                    }
                                    PageItem::Page(p) => {
                                        let current = p == page;
                                        view! {
                                            <li
                                                class="pagination__item"
                                                class:pagination__item--current=current
                                            >
                                                <a
                                                    href=href.run(p)
                                                    aria-label=format!("Page {p}")
                                                    aria-current=current.then_some("page")
                                                >
                                                    {p.to_string()}
                                                </a>
                                            </li>
                                        }
                                            .into_any()
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            {next.map(|h| view! { <a href=h rel="next">"Next page"</a> })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_page_link_keeps_the_query_and_replaces_the_page() {
        let query = q(&[("status", "new"), ("page", "2"), ("sort", "name")]);
        assert_eq!(
            page_href("/staff/enquiries", &query, 3),
            "/staff/enquiries?status=new&sort=name&page=3"
        );
        assert_eq!(
            page_href("/staff/enquiries", &query, 1),
            "/staff/enquiries?status=new&sort=name"
        );
        assert_eq!(page_href("/x", &[], 1), "/x");
        assert_eq!(
            page_href("/x", &q(&[("q", "a&b c")]), 2),
            "/x?q=a%26b+c&page=2"
        );
    }

    #[test]
    fn numbered_pages_show_the_ends_and_the_neighbours_with_gaps() {
        use PageItem::*;
        assert_eq!(page_items(1, 3), vec![Page(1), Page(2), Page(3)]);
        assert_eq!(
            page_items(5, 10),
            vec![Page(1), Gap, Page(4), Page(5), Page(6), Gap, Page(10)]
        );
        assert_eq!(page_items(1, 1), vec![Page(1)]);
    }
}
