import streamlit as st

st.title("whatif")
st.info("Đang xây dựng")
